package org.carnet.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The holder's rules over their record, kept as rows that are ended, never deleted (the history of every consent
 * stays readable). Thread-safe; every change is a single transaction. A professional's rules are kept in memory
 * between changes (every change goes through this class, which forgets them when it commits); one node only: a
 * cluster would need the same forgetting broadcast.
 */
@Repository
public class AccessRules {

    /** One rule. {@code actor} is an IdNat_PS, or the mode's code for {@link Kind#REFUSED_MODE}. */
    public record Rule(
            long id,
            String patientId,
            Kind kind,
            String actor,
            @org.jspecify.annotations.Nullable Instant validUntil,
            Instant created,
            String createdBy) {

        boolean activeAt(Instant now) {
            return validUntil == null || validUntil.isAfter(now);
        }
    }

    /** The kinds of rule, in the words of the brief. */
    public enum Kind {
        /** The médecin traitant the holder designated (one at a time). */
        TRAITANT,
        /** A care-team member, deemed authorised unless the holder objects. */
        CARE_TEAM,
        /** An explicit authorisation, possibly until a date. */
        AUTHORISED,
        /** The holder objects to a care-team member's access. */
        OBJECTED,
        /** Refused always, even in an emergency. */
        BLOCKED,
        /** An emergency mode the holder refuses in advance. */
        REFUSED_MODE
    }

    private static final RowMapper<Rule> ROW = (rs, n) -> new Rule(
            rs.getLong("id"),
            rs.getString("patient_id"),
            Kind.valueOf(rs.getString("kind")),
            rs.getString("actor"),
            rs.getTimestamp("valid_until") == null
                    ? null
                    : rs.getTimestamp("valid_until").toInstant(),
            rs.getTimestamp("created").toInstant(),
            rs.getString("created_by"));

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, List<Rule>> byActor = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    AccessRules(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The rules in force on a patient's record (expired authorisations are left out). */
    public List<Rule> inForce(String patientId) {
        Instant now = clock.instant();
        return jdbc
                .query("select * from access_rule where patient_id = ? and ended is null order by id", ROW, patientId)
                .stream()
                .filter(r -> r.activeAt(now))
                .toList();
    }

    /**
     * The médecins traitants of a record who hold that role now: designated, and not blocked by the holder. A block
     * overrides every other rule (brief, "Who may see what", step 1), so a blocked médecin traitant keeps none of the
     * role's powers (declaring the care team, notifications, seeing masked documents).
     */
    public java.util.Set<String> traitants(String patientId) {
        List<Rule> rules = inForce(patientId);
        java.util.Set<String> blocked = actors(rules, Kind.BLOCKED);
        java.util.Set<String> traitants = actors(rules, Kind.TRAITANT);
        traitants.removeAll(blocked);
        return traitants;
    }

    /** Whether the holder of a record blocked this professional. */
    public boolean blocked(String patientId, String idNatPs) {
        return inForceFor(idNatPs).stream()
                .anyMatch(r -> r.kind() == Kind.BLOCKED && r.patientId().equals(patientId));
    }

    private static java.util.Set<String> actors(List<Rule> rules, Kind kind) {
        java.util.Set<String> actors = new java.util.HashSet<>();
        for (Rule rule : rules) {
            if (rule.kind() == kind) {
                actors.add(rule.actor());
            }
        }
        return actors;
    }

    /** The rules in force that name a professional, over every record. */
    public List<Rule> inForceFor(String idNatPs) {
        Instant now = clock.instant();
        List<Rule> rules = byActor.get(idNatPs);
        if (rules == null) {
            rules = jdbc.query("select * from access_rule where actor = ? and ended is null", ROW, idNatPs);
            if (byActor.size() > 100_000) {
                byActor.clear();
            }
            byActor.put(idNatPs, rules);
        }
        return rules.stream().filter(r -> r.activeAt(now)).toList();
    }

    /** A number that changes whenever a rule changes: what is derived from the rules may be kept while it holds. */
    public long generation() {
        return generation.get();
    }

    /** Forgets the kept rules now and again when the change commits (a reader in between may have kept old ones). */
    private void forget() {
        generation.incrementAndGet();
        byActor.clear();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    generation.incrementAndGet();
                    byActor.clear();
                }
            });
        }
    }

    /**
     * Adds a rule; the same rule already in force is replaced (a new expiry replaces the old one). A new médecin
     * traitant ends the previous designation.
     */
    @Transactional
    public Rule add(
            String patientId,
            Kind kind,
            String actor,
            @org.jspecify.annotations.Nullable Instant validUntil,
            String by) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "access-rule/" + patientId);
        forget();
        Instant now = clock.instant();
        if (kind == Kind.TRAITANT) {
            endAll(patientId, kind, null, by, now);
        } else {
            endAll(patientId, kind, actor, by, now);
        }
        Long id = jdbc.queryForObject(
                """
                insert into access_rule (patient_id, kind, actor, valid_until, created, created_by)
                values (?, ?, ?, ?, ?, ?) returning id""",
                Long.class,
                patientId,
                kind.name(),
                actor,
                validUntil == null ? null : Timestamp.from(validUntil),
                Timestamp.from(now),
                by);
        return new Rule(
                java.util.Objects.requireNonNull(id, "an insert returning its id gives one"),
                patientId,
                kind,
                actor,
                validUntil,
                now,
                by);
    }

    /**
     * After a merge of identities: the survivor's record now holds the merged record's data, so the merged holder's
     * restrictions (blocked professionals, refused emergency modes, objections) follow it. Authorisations do not:
     * widening access is the holder's decision.
     */
    @Transactional
    public int carryRestrictions(String mergedPatient, String survivorPatient, String by) {
        int carried = 0;
        for (Rule rule : inForce(mergedPatient)) {
            if (rule.kind() == Kind.BLOCKED || rule.kind() == Kind.REFUSED_MODE || rule.kind() == Kind.OBJECTED) {
                add(survivorPatient, rule.kind(), rule.actor(), rule.validUntil(), by);
                carried++;
            }
        }
        return carried;
    }

    /** Ends a rule in force; false if there was none. */
    @Transactional
    public boolean end(String patientId, Kind kind, String actor, String by) {
        forget();
        return endAll(patientId, kind, actor, by, clock.instant()) > 0;
    }

    private int endAll(
            String patientId, Kind kind, @org.jspecify.annotations.Nullable String actor, String by, Instant now) {
        return jdbc.update("""
                update access_rule set ended = ?, ended_by = ?
                 where patient_id = ? and kind = ? and (?::text is null or actor = ?) and ended is null""", Timestamp.from(now), by, patientId, kind.name(), actor, actor);
    }
}
