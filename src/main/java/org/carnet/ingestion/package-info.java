/**
 * Connectors that feed the record: FHIR, CDA, HL7 v2, PDF, insurer CSV (issue 6). This package is the module's API
 * and its shared machinery: the {@link org.carnet.ingestion.Ingestion} service (ledger, matching, quarantine, dead
 * letters), the {@link org.carnet.ingestion.Connector} contract, the bulk import, the drop directory and the
 * operators' endpoint. Each format's reader and connector is in a sub-package ({@code cda}, {@code hl7v2},
 * {@code pdf}, {@code csv}), internal to the module. Everything is written through the record module.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Ingestion",
        allowedDependencies = {"audit", "document", "identity", "record"})
@org.jspecify.annotations.NullMarked
package org.carnet.ingestion;
