package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import org.carnet.record.Transactions;
import org.carnet.record.Written;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.transaction.support.TransactionTemplate;

/** System-level interactions: {@code POST /fhir} with a batch or transaction Bundle. */
final class SystemProvider {

    private final Transactions bundles;
    private final Audits audits;
    private final TransactionTemplate transactions;

    SystemProvider(Transactions bundles, Audits audits, TransactionTemplate transactions) {
        this.bundles = bundles;
        this.audits = audits;
        this.transactions = transactions;
    }

    /** A transaction and its audit entries commit together; a batch's entries are audited when it ends. */
    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            return disclosed(bundles.process(bundle, CurrentAccess.writeScope()));
        }
        return transactions.execute(status -> {
            Bundle result = disclosed(bundles.process(bundle, CurrentAccess.writeScope()));
            audits.recordNow(true, null);
            return result;
        });
    }

    private static Bundle disclosed(Transactions.Processed processed) {
        for (Written written : processed.touched()) {
            CurrentAccess.disclose(written.type(), written.id(), written.patientId());
        }
        return processed.response();
    }
}
