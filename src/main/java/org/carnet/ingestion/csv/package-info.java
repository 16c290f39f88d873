/**
 * The insurer's reimbursement history as CSV: a streaming RFC 4180 reader, the typed reading of each line
 * ({@link org.carnet.ingestion.csv.ReimbursementCsvReader}), its FHIR ExplanationOfBenefit, and the connector that
 * files each line as an item of its own. Internal to the ingestion module.
 */
@org.jspecify.annotations.NullMarked
package org.carnet.ingestion.csv;
