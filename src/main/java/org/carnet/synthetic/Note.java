package org.carnet.synthetic;

import java.util.List;

/**
 * A written note: its title, its plain text (lines separated by {@code \n}) and every concept of
 * {@link Concepts} it mentions, with the polarity in which it mentions it.
 */
record Note(String title, String text, List<Model.Mention> mentions) {}
