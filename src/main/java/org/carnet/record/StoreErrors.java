package org.carnet.record;

import java.sql.SQLException;

/**
 * What a failure of the store means for the request that caused it, read from PostgreSQL's SQLSTATE (the store owns
 * JDBC; the API only needs the verdict). Carnet's statements are fixed, so a "data exception" is about a value the
 * request carried.
 */
public enum StoreErrors {
    /** SQLSTATE class 22: a value the database cannot hold or compare (a NUL character, a number out of range). */
    BAD_VALUE,
    /** SQLSTATE class 23: an integrity constraint, e.g. two writers creating the same client-assigned id at once. */
    CONFLICT,
    /** Anything else: not the request's fault. */
    OTHER;

    /** The verdict for a failure, from the first SQL exception in its chain. */
    public static StoreErrors of(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("22")
                        ? BAD_VALUE
                        : sql.getSQLState().startsWith("23") ? CONFLICT : OTHER;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return OTHER;
    }
}
