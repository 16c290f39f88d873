package org.carnet.record;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Locks a write unit takes on what is not a row yet (a conditional create, a document's unique id). */
@Component
public class UnitLocks {

    private final JdbcTemplate jdbc;

    UnitLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serialises, until the current transaction ends, every transaction that names the same key — so that two
     * concurrent conditional creates ({@code If-None-Exist}) of the same resource cannot both create it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void serializeOn(String key) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", key);
    }
}
