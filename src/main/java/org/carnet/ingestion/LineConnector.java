package org.carnet.ingestion;

import java.util.List;

/** A connector whose files hold many independent items (one per line), each filed and fingerprinted on its own. */
public interface LineConnector extends Connector {

    /** The items of a file: each carries what it needs to be read alone (e.g. the header and its line). */
    List<Inbound> split(String fileName, byte[] content);
}
