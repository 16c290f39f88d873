package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The holder's notifications follow the audit entry through the event publication registry: a publication left
 * incomplete by a crash between the commit and the listener is made when Carnet resubmits it (at start), once.
 */
class NotificationReplayIT extends CarnetIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventPublicationRepository publications;

    @Autowired
    IncompleteEventPublications incomplete;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aNotificationLeftBehindByACrashIsMadeOnceWhenResubmitted() throws Exception {
        String patient = created(patient("Replay", unique())).getIdElement().getIdPart();
        NotificationDue due = new NotificationDue(
                UUID.randomUUID(),
                patient,
                List.of("Patient/" + patient),
                "emergency-access",
                "Accès en urgence " + unique(),
                Instant.parse("2026-12-03T10:00:00Z"));
        // What the registry holds when Carnet stopped after the audit entry committed and before the listener ran.
        transactions.executeWithoutResult(status -> publications.create(
                TargetEventPublication.of(due, PublicationTargetIdentifier.of(Notifications.LISTENER))));
        assertThat(messages(patient)).doesNotContain(due.message());

        incomplete.resubmitIncompletePublicationsOlderThan(Duration.ZERO);
        incomplete.resubmitIncompletePublicationsOlderThan(Duration.ZERO);

        assertThat(eventually(
                        () -> jdbc.queryForObject(
                                "select count(*) from event_publication where listener_id = ? and serialized_event like ?",
                                Integer.class,
                                Notifications.LISTENER,
                                "%" + due.id() + "%"),
                        n -> n == 0))
                .as("the publication is completed (and deleted), none left to resubmit")
                .isZero();
        assertThat(messages(patient)).as("made by the resubmissions, once").containsOnlyOnce(due.message());
    }

    private String messages(String patient) {
        return String.join(
                "\n",
                jdbc.queryForList(
                        "select message from notification where patient_id = ? order by id", String.class, patient));
    }
}
