package io.factoryhub.hub.reload;

import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

/**
 * JSON schema draft 4, the dialect of kamelet definitions and of the Camel YAML DSL schema, with keywords outside
 * the draft ({@code example}, {@code x-descriptors}, {@code deprecated}, ...) taken as annotations: the default
 * factory logs a warning for each of them on every schema it reads.
 */
final class Draft4Schemas {

    private static final JsonMetaSchema LENIENT = JsonMetaSchema.builder(JsonMetaSchema.getV4().getIri(), JsonMetaSchema.getV4())
            .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
            .build();

    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            builder -> builder.metaSchema(LENIENT).defaultMetaSchemaIri(LENIENT.getIri()));

    private Draft4Schemas() {
    }
}
