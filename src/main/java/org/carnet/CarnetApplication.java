package org.carnet;

import java.nio.file.Path;
import java.util.Arrays;
import org.carnet.identity.ImportRppsCommand;
import org.carnet.synthetic.GenerateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** Carnet: a citizen health record vault served over FHIR R4; {@code generate} writes synthetic data
 * and {@code import-rpps} imports the professional directory instead. */
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
                    .run(withArgument(Arrays.copyOfRange(args, 2, args.length), "--carnet.demo.seed=false"))) {
                code = ImportRppsCommand.run(Path.of(args[1]), context, System.out, System.err);
            }
            System.exit(code);
        }
        SpringApplication.run(CarnetApplication.class, args);
    }

    private static String[] withArgument(String[] args, String extra) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
