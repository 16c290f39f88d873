package org.carnet.ingestion.hl7v2;

/** What a message asks the record to do with the document or results it carries. */
enum Action {
    /** A first transmission. */
    INITIAL,
    /** A new version that replaces an earlier transmission. */
    REPLACE,
    /** A request to delete an earlier transmission. */
    DELETE
}
