package org.carnet.search;

/**
 * What a mention says about the patient. The order is the precedence when two contexts cover the same words: a
 * generic statement is about nobody in particular, a relative's finding is not the patient's even when it is
 * negated or uncertain, and an uncertain finding is not settled even under a negation (docs/search-context.md).
 */
enum MentionContext {
    /** Said of the patient as a fact, present or past (history included). */
    AFFIRMED,
    /** Said of the patient as absent, ruled out or denied. */
    NEGATED,
    /** Suspected, to rule out, conditional, asked. */
    HYPOTHETICAL,
    /** Said of someone else: a relative, the family, the entourage. */
    OTHER_PERSON,
    /** Said of patients in general: advice, leaflet or education text, textbook statements. */
    GENERIC
}
