/** Connectors that feed the record: FHIR, CDA, HL7 v2, PDF, insurer CSV (issue 6). */
package org.carnet.ingestion;
