package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import org.hl7.fhir.r4.model.Bundle;

/** System-level interactions: {@code POST /fhir} with a batch or transaction Bundle. */
final class SystemProvider {

    private final Bundles bundles;

    SystemProvider(Bundles bundles) {
        this.bundles = bundles;
    }

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
        return bundles.process(bundle);
    }
}
