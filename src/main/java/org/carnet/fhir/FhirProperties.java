package org.carnet.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the FHIR API.
 *
 * @param maxRequestBytes largest accepted request body; larger ones get HTTP 413
 * @param defaultPageSize entries per page when the client gives no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param pagedSearchesKept how many result sets are kept in memory for their next-page links
 * @param maxDocumentBytes largest document content uploaded raw ({@code POST Binary}); streamed, never held in memory
 * @param maxPageBytes largest page of results, in bytes of resources: a page of large resources holds fewer entries
 *     than {@code _count} and links to the rest
 */
@ConfigurationProperties("carnet.fhir")
record FhirProperties(
        long maxRequestBytes,
        int defaultPageSize,
        int maxPageSize,
        int pagedSearchesKept,
        long maxDocumentBytes,
        long maxPageBytes) {

    public FhirProperties {
        maxRequestBytes = maxRequestBytes <= 0 ? 32L * 1024 * 1024 : maxRequestBytes;
        defaultPageSize = defaultPageSize <= 0 ? 20 : defaultPageSize;
        maxPageSize = maxPageSize <= 0 ? 1000 : maxPageSize;
        pagedSearchesKept = pagedSearchesKept <= 0 ? 2000 : pagedSearchesKept;
        maxDocumentBytes = maxDocumentBytes <= 0 ? 512L * 1024 * 1024 : maxDocumentBytes;
        maxPageBytes = maxPageBytes <= 0 ? 16L * 1024 * 1024 : maxPageBytes;
    }
}
