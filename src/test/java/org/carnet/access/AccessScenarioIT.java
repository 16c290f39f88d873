package org.carnet.access;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/** An integration test on the seeded records of {@link AccessScenario}. */
abstract class AccessScenarioIT extends CarnetIT {

    @Autowired
    AccessRules rules;

    AccessScenario scenario;

    @BeforeEach
    void seedScenario() {
        scenario = AccessScenario.seed(client, new AccessScenario.Access() {
            @Override
            public IGenericClient as(String identity) {
                return clientAs(identity);
            }

            @Override
            public AccessRules rules() {
                return rules;
            }
        });
    }
}
