package org.carnet.audit;

import java.sql.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Makes the notifications an audited access calls for, after the audit entry commits, one per recipient the audit
 * named (the holder's record and the médecins traitants not blocked). Runs through Spring Modulith's event publication registry: a publication not completed (a crash, a
 * failure) is resubmitted at the next start, and the event's id makes a second run write nothing twice.
 */
@Component
class Notifications {

    /** The listener's id in the event publication registry (stable across renames of this class). */
    static final String LISTENER = "audit.notifications";

    private final JdbcTemplate jdbc;

    Notifications(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener(id = LISTENER)
    void on(NotificationDue due) {
        for (String recipient : due.recipients()) {
            jdbc.update("""
                    insert into notification (due_id, recipient, patient_id, created, kind, message)
                    values (?, ?, ?, ?, ?, ?) on conflict do nothing""", due.id(), recipient, due.patientId(), Timestamp.from(due.at()), due.kind(), due.message());
        }
    }
}
