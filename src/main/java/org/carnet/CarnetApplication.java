package org.carnet;

import java.nio.file.Path;
import java.util.Arrays;
import org.carnet.document.DocumentRepairCommand;
import org.carnet.identity.ImportRppsCommand;
import org.carnet.ingestion.ImportCommand;
import org.carnet.search.SearchCommand;
import org.carnet.synthetic.GenerateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** Carnet: a citizen health record vault served over FHIR R4; {@code generate} writes synthetic data,
 * {@code import-rpps} imports the professional directory, {@code import} files a directory or archive through the
 * connectors, {@code documents verify|repair} checks the blob store against the documents' metadata, and
 * {@code search rebuild|evaluate} rebuilds the search index or measures its quality. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CarnetApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "generate".equals(args[0])) {
            System.exit(GenerateCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 1 && "import-rpps".equals(args[0])) {
            int code;
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CarnetApplication.class)
                    .web(WebApplicationType.NONE)
                    .run(withArgument(
                            withArgument(Arrays.copyOfRange(args, 2, args.length), "--carnet.demo.seed=false"),
                            "--carnet.search.catch-up-at-start=false"))) {
                code = ImportRppsCommand.run(Path.of(args[1]), context, System.out, System.err);
            }
            System.exit(code);
        }
        if (args.length > 0 && "import".equals(args[0])) {
            System.exit(offline(
                    args,
                    context -> ImportCommand.run(
                            Arrays.copyOfRange(args, 1, args.length), context, System.out, System.err)));
        }
        if (args.length > 0 && "documents".equals(args[0])) {
            System.exit(offline(
                    args,
                    context -> DocumentRepairCommand.run(
                            Arrays.copyOfRange(args, 1, args.length), context, System.out, System.err)));
        }
        if (args.length > 0 && "search".equals(args[0])) {
            System.exit(offline(
                    args,
                    context -> SearchCommand.run(
                            Arrays.copyOfRange(args, 1, args.length), context, System.out, System.err)));
        }
        SpringApplication.run(CarnetApplication.class, args);
    }

    /** Runs a command against the data without serving requests (no web server, no demo seeding). */
    private static int offline(
            String[] args, java.util.function.ToIntFunction<ConfigurableApplicationContext> command) {
        String[] options =
                Arrays.stream(args).filter(CarnetApplication::isProperty).toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CarnetApplication.class)
                .web(WebApplicationType.NONE)
                .run(withArgument(
                        withArgument(
                                withArgument(options, "--carnet.demo.seed=false"),
                                // the running server rebuilds an incomplete search index, not a command
                                "--carnet.search.catch-up-at-start=false"),
                        "--spring.main.banner-mode=off"))) {
            return command.applyAsInt(context);
        }
    }

    /** A Spring property given on the command line ({@code --name=value}), as opposed to a command's own options. */
    private static boolean isProperty(String arg) {
        return arg.startsWith("--") && arg.indexOf('=') > 2;
    }

    private static String[] withArgument(String[] args, String extra) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
