package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import org.carnet.record.RecordVault;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;

/** {@code Patient/[id]/$everything}: the whole record of one patient, paged. */
final class EverythingProvider {

    private final RecordVault vault;
    private final long maxPageBytes;

    EverythingProvider(RecordVault vault, long maxPageBytes) {
        this.vault = vault;
        this.maxPageBytes = maxPageBytes;
    }

    @Operation(name = "$everything", type = Patient.class, idempotent = true)
    public IBundleProvider everything(@IdParam IIdType patient, @OperationParam(name = "_count") IntegerType count) {
        Integer pageSize = count == null || count.getValue() == null ? null : count.getValue();
        return new ResultPages(vault, "Patient", vault.everything(patient.getIdPart(), CurrentAccess.visibility()), Includes.NONE, pageSize,
                maxPageBytes);
    }
}
