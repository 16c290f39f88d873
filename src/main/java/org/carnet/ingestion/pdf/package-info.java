/**
 * PDF documents: the connector for a PDF sent with its sidecar, and the bounded-memory text extraction
 * ({@link org.carnet.ingestion.pdf.PdfText}, PDFBox) that the document intake uses for every PDF content, whatever
 * route it took, and that a level 1 CDA's embedded PDF goes through. Internal to the ingestion module.
 */
@org.jspecify.annotations.NullMarked
package org.carnet.ingestion.pdf;
