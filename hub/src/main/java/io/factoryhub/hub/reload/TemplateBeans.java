package io.factoryhub.hub.reload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * Creates a Pipe's template beans in the context's registry before its route starts, and removes them with it.
 * Property values are resolved here (the hub's placeholders) and bound by Camel's own property binding, so a
 * bean takes what it took as a kamelet template bean.
 */
final class TemplateBeans {

    private final CamelContext context;

    TemplateBeans(CamelContext context) {
        this.context = context;
    }

    void bind(List<PipeTranslator.TemplateBean> beans) throws Exception {
        for (PipeTranslator.TemplateBean bean : beans) {
            Class<?> type = context.getClassResolver().resolveMandatoryClass(bean.type());
            Object instance = context.getInjector().newInstance(type);
            Map<String, Object> properties = new LinkedHashMap<>();
            bean.properties().forEach((key, value) -> properties.put(key, context.resolvePropertyPlaceholders(value)));
            PropertyBindingSupport.build().withMandatory(true).withRemoveParameters(false)
                    .bind(context, instance, properties);
            context.getRegistry().bind(bean.name(), type, instance);
        }
    }

    void unbind(List<PipeTranslator.TemplateBean> beans) {
        beans.forEach(bean -> context.getRegistry().unbind(bean.name()));
    }
}
