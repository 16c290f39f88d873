/**
 * HL7 v2 messages (ORU^R01, MDM^T02/T04/T10/T11, as French laboratories and document producers send them): the
 * reader and its acknowledgements ({@link org.carnet.ingestion.hl7v2.Hl7Reader}), the connector that files a message's
 * documents, reports, results and movement as one unit, and the MLLP listener over TCP that answers each message once
 * it is filed. Internal to the ingestion module.
 */
@org.jspecify.annotations.NullMarked
package org.carnet.ingestion.hl7v2;
