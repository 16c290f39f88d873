/**
 * CDA R2 documents as the French CI-SIS shapes them: the CDA connector, the hardened XML parsing and header reader
 * ({@link org.carnet.ingestion.cda.CdaReader}), and the filing of a CDA as a DMP DocumentReference
 * ({@link org.carnet.ingestion.cda.CdaDocuments}), which the HL7 v2 connector also uses for the CDAs a message
 * carries. It also holds the HL7 data types both formats read: coded values ({@code Coding}) and HL7 times
 * ({@code Hl7Time}, v3 TS and v2 DTM). Internal to the ingestion module.
 */
@org.jspecify.annotations.NullMarked
package org.carnet.ingestion.cda;
