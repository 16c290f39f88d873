package org.carnet.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * An access the holder (and their médecin traitant) must hear of: an emergency access, or a professional's first
 * access to the record. Published with the audit entry, in its transaction; {@link Notifications} makes the
 * notifications once the entry is committed, through the event publication registry (replayed after a crash).
 *
 * @param id makes a replay a no-op
 * @param recipients {@code Patient/<id>} and {@code idnat:<IdNat_PS>} of the médecins traitants the holder had not
 *     blocked at the time of the access (the professional who accessed excepted)
 */
public record NotificationDue(
        UUID id, String patientId, java.util.List<String> recipients, String kind, String message, Instant at) {}
