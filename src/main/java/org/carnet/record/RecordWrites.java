package org.carnet.record;

import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way to write in the record. A unit of changes commits whole or not at all: it passes through the
 * {@link UnitRules} of every module that it concerns (the document lifecycle), then the store checks versions,
 * references, visibility and the {@link ResourceRules} (identity's INS rules) and writes it. FHIR transaction and
 * batch Bundles are units too ({@link Transactions}).
 */
@Service
public class RecordWrites {

    private final UnitWriter writer;
    private final List<UnitRules> rules;

    RecordWrites(UnitWriter writer, List<UnitRules> rules) {
        this.writer = writer;
        this.rules = List.copyOf(rules);
    }

    /** Applies a unit for the platform's own work or a trusted system. */
    @Transactional
    public List<Written> apply(List<Change> changes) {
        return apply(changes, WriteScope.TRUSTED).written();
    }

    /**
     * Applies a unit for a writer: a change to a record the writer cannot see is refused as unknown (404), a change
     * they can see but not make is forbidden (403); either way nothing of the unit is kept.
     */
    @Transactional
    public Applied apply(List<Change> changes, WriteScope scope) {
        return through(0, changes, scope);
    }

    private Applied through(int rule, List<Change> changes, WriteScope scope) {
        if (rule == rules.size()) {
            return Applied.of(writer.apply(changes, scope.visibility()));
        }
        UnitRules next = rules.get(rule);
        if (!next.concerns(changes)) {
            return through(rule + 1, changes, scope);
        }
        return next.apply(
                changes, scope, stored -> through(rule + 1, stored, scope).written());
    }
}
