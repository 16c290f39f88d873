package org.carnet.search;

/** A run of text [start, end) with its context. Stand-in until the detector lands. */
record ContextSpan(int start, int end, MentionContext context) {}
