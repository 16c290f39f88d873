package org.carnet.synthetic;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What a note is written from.
 *
 * @param kind the kind of document
 * @param date when it was written
 * @param patient the patient (age from birth date and {@code date})
 * @param author who writes it (name and profession)
 * @param conditions the patient's conditions known at {@code date}
 * @param medications the treatments current at {@code date}
 * @param recent the most recent measurements before {@code date}, newest first
 * @param signals concepts to bury in this note, each in the stated polarity (a fall, a negated fall, a mother's
 *     diabetes…), in addition to whatever routine content the note has
 */
record NoteContext(
        Model.DocKind kind,
        LocalDateTime date,
        Model.Identity patient,
        Model.Professional author,
        List<Model.Condition> conditions,
        List<Model.Medication> medications,
        List<Model.Measurement> recent,
        List<Model.Mention> signals) {}
