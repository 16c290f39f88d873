/**
 * Search in one patient's record (ARCHITECTURE.md decision 7): an embedded Lucene index under
 * {@code <data-dir>/search}, a projection of the record kept current from its change events and rebuilt on demand;
 * French clinical analysis (elision, accents, light stemming, medical synonyms and abbreviations, codes); the context
 * of each mention (affirmed, negated, hypothetical, someone else, generic); and the access decision compiled into
 * every Lucene query. Nothing outside this module imports Lucene.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Search",
        allowedDependencies = {"record", "document"})
@org.jspecify.annotations.NullMarked
package org.carnet.search;
