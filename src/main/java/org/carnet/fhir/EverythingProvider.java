package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import org.carnet.record.Everything;
import org.carnet.record.RecordReads;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;

/** {@code Patient/[id]/$everything}: the whole record of one patient, paged. */
final class EverythingProvider {

    private final RecordReads vault;
    private final Everything everything;
    private final long maxPageBytes;

    EverythingProvider(RecordReads vault, Everything everything, long maxPageBytes) {
        this.vault = vault;
        this.everything = everything;
        this.maxPageBytes = maxPageBytes;
    }

    @Operation(name = "$everything", type = Patient.class, idempotent = true)
    public IBundleProvider everything(@IdParam IIdType patient, @OperationParam(name = "_count") IntegerType count) {
        Integer pageSize = count == null || count.getValue() == null ? null : count.getValue();
        return new ResultPages(
                vault,
                "Patient",
                everything.everything(patient.getIdPart(), CurrentAccess.visibility()),
                Includes.NONE,
                pageSize,
                maxPageBytes);
    }
}
