package org.carnet.search;

/** What a mention says of the patient. Stand-in until the detector lands. */
enum MentionContext {
    AFFIRMED,
    NEGATED,
    HYPOTHETICAL,
    OTHER_PERSON,
    GENERIC
}
