package org.carnet.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.carnet.record.Criterion;
import org.carnet.record.RecordReads;
import org.carnet.record.SearchQuery;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The e-mail channel of notifications, on when an SMTP server is configured ({@code spring.mail.host}). The
 * notification table is its outbox: every few seconds, unsent notifications are mailed to the e-mail address of
 * the holder (Patient.telecom) or professional (Practitioner.telecom) and marked sent, so a crash only delays them.
 * The e-mail says that something happened and when, never what: the details stay behind sign-in.
 */
@Component
@ConditionalOnProperty("spring.mail.host")
class NotificationMailer {

    private static final Logger log = LoggerFactory.getLogger(NotificationMailer.class);
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH:mm", Locale.FRANCE).withZone(ZoneId.of("Europe/Paris"));

    private final JdbcTemplate jdbc;
    private final RecordReads vault;
    private final JavaMailSender mail;
    private final Clock clock;
    private final String from;

    NotificationMailer(
            JdbcTemplate jdbc,
            RecordReads vault,
            JavaMailSender mail,
            Clock clock,
            @Value("${carnet.notifications.from:carnet@localhost}") String from) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.mail = mail;
        this.clock = clock;
        this.from = from;
    }

    private record Pending(long id, String recipient, String kind, Timestamp created) {}

    @Scheduled(fixedDelayString = "${carnet.notifications.mail-interval:5s}")
    void sendPending() {
        List<Pending> pending = jdbc.query(
                "select id, recipient, kind, created from notification where sent is null order by id limit 100",
                (rs, n) -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4)));
        for (Pending notification : pending) {
            Optional<String> address = address(notification.recipient());
            if (address.isPresent()) {
                SimpleMailMessage message = new SimpleMailMessage();
                message.setFrom(from);
                message.setTo(address.get());
                message.setSubject("Carnet : "
                        + ("emergency-access".equals(notification.kind())
                                ? "un accès d'urgence à un dossier"
                                : "un nouvel accès à un dossier"));
                message.setText("Bonjour,\n\n"
                        + ("emergency-access".equals(notification.kind())
                                ? "Un professionnel de santé a accédé en urgence à un dossier que vous suivez ou détenez, le "
                                : "Un professionnel de santé a accédé pour la première fois à un dossier que vous suivez ou détenez, le ")
                        + WHEN.format(notification.created().toInstant())
                        + ".\nConnectez-vous à Carnet pour voir le détail dans l'historique des accès.\n");
                try {
                    mail.send(message);
                } catch (MailException e) {
                    log.warn(
                            "Notification {} not mailed yet: {}",
                            notification.id(),
                            e.getClass().getSimpleName());
                    return;
                }
            }
            jdbc.update(
                    "update notification set sent = ? where id = ?",
                    Timestamp.from(clock.instant()),
                    notification.id());
        }
    }

    /** The recipient's e-mail address in the record or the directory; none means the notification stays in the API. */
    private Optional<String> address(String recipient) {
        List<Resource> found;
        if (recipient.startsWith("Patient/")) {
            found = vault.load(vault.search(new SearchQuery(
                    "Patient",
                    List.of(new Criterion("_id", null, List.of(recipient.substring("Patient/".length())))),
                    List.of())));
        } else if (recipient.startsWith("idnat:")) {
            found = vault.load(vault.search(new SearchQuery(
                    "Practitioner",
                    List.of(new Criterion(
                            "identifier",
                            null,
                            List.of("urn:oid:1.2.250.1.71.4.2.1|" + recipient.substring("idnat:".length())))),
                    List.of())));
        } else {
            found = List.of();
        }
        return found.stream()
                .flatMap(r -> r instanceof Patient p
                        ? p.getTelecom().stream()
                        : r instanceof Practitioner p ? p.getTelecom().stream() : java.util.stream.Stream.empty())
                .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.EMAIL && t.hasValue())
                .map(ContactPoint::getValue)
                .findFirst();
    }
}
