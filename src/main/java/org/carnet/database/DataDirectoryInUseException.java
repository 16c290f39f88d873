package org.carnet.database;

import java.nio.file.Path;

/** Another Carnet process (or another instance in this JVM) already uses the data directory. */
final class DataDirectoryInUseException extends RuntimeException {

    private final Path dataDir;

    DataDirectoryInUseException(Path dataDir) {
        super("Carnet data directory " + dataDir + " is already in use by another running Carnet instance");
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }
}
