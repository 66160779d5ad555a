package io.factoryhub.app;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.reload.FileStamps;
import io.factoryhub.hub.reload.KameletCatalog;
import io.factoryhub.hub.reload.RouteFileValidator;
import io.factoryhub.hub.reload.ValidationProblem;
import io.factoryhub.hub.rules.InvalidRuleFile;
import io.factoryhub.hub.rules.RuleFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Offline check of routes/, connectors/ and rules/ with the same checks and messages the running hub uses. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check every file in routes/, connectors/ and rules/ offline; exit 1 on any problem.")
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
            // property values are checked as the running hub resolves them
            context.getPropertiesComponent().setInitialProperties(config.asProperties());
            RouteFileValidator validator = new RouteFileValidator(new KameletCatalog(config.getPath("factory.kamelets-dir")), context);
            for (String dirKey : List.of("factory.routes-dir", "factory.connectors-dir")) {
                for (Path file : FileStamps.yamlFiles(config.getPath(dirKey))) {
                    files++;
                    problems.addAll(validator.validate(file, Files.readString(file)));
                }
            }
        }
        for (Path file : RuleFile.in(config.getPath("factory.rules-dir"))) {
            files++;
            try {
                RuleFile.read(file);
            } catch (InvalidRuleFile e) {
                problems.add(e.problem());
            }
        }
        problems.forEach(problem -> err.println("ERROR " + problem));
        out.println(files + " files checked, " + problems.size() + " problems");
        out.flush();
        err.flush();
        return problems.isEmpty() ? 0 : 1;
    }
}
