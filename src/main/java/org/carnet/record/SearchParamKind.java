package org.carnet.record;

/** How a search parameter's values are indexed and compared. */
public enum SearchParamKind {
    TOKEN,
    STRING,
    DATE,
    REFERENCE,
    URI
}
