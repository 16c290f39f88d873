package org.carnet.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a locked data directory into a start-up message an operator can act on, not a stack trace. */
class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ". Two instances must never share one embedded database.",
                "Stop the other instance, or give this one its own directory with --carnet.data-dir=<dir>"
                        + " (or CARNET_DATA_DIR), or point both at an external PostgreSQL with CARNET_DB_URL.",
                cause);
    }
}
