/** Connectors that feed the record: FHIR, CDA, HL7 v2, PDF, insurer CSV (issue 6). */
@org.springframework.modulith.ApplicationModule(
        displayName = "Ingestion",
        allowedDependencies = {"audit", "document", "identity", "record"})
package org.carnet.ingestion;
