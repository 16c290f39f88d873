package org.carnet;

import java.util.Arrays;
import org.carnet.synthetic.GenerateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Carnet: a citizen health record vault served over FHIR R4; {@code generate} writes synthetic data instead. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CarnetApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "generate".equals(args[0])) {
            System.exit(GenerateCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(CarnetApplication.class, args);
    }
}
