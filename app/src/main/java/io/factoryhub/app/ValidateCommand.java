package io.factoryhub.app;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.reload.KameletCatalog;
import io.factoryhub.hub.reload.RouteFileValidator;
import io.factoryhub.hub.reload.ValidationProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Offline check of routes/ and connectors/ with the same rules and messages the running hub uses. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check every file in routes/ and connectors/ offline; exit 1 on any problem.")
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        HubConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ValidationProblem> problems = new ArrayList<>();
        int files = 0;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RouteFileValidator validator = new RouteFileValidator(new KameletCatalog(config.getPath("factory.kamelets-dir")), context);
            for (String dirKey : List.of("factory.routes-dir", "factory.connectors-dir")) {
                for (Path file : yamlFiles(config.getPath(dirKey))) {
                    files++;
                    problems.addAll(validator.validate(file, Files.readString(file)));
                }
            }
        }
        problems.forEach(problem -> err.println("ERROR " + problem));
        out.println(files + " files checked, " + problems.size() + " problems");
        out.flush();
        err.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    private static List<Path> yamlFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
