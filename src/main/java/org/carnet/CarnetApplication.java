package org.carnet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Carnet: a citizen health record vault served over FHIR R4. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CarnetApplication {

    public static void main(String[] args) {
        SpringApplication.run(CarnetApplication.class, args);
    }
}
