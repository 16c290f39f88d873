package org.carnet.record;

import java.util.List;

/**
 * Published in the same transaction as a committed write unit; listeners (index, audit, notifications)
 * receive it through the event publication registry, so they resume after a crash.
 *
 * @param resources the changed resources as {@code Type/id/_history/version}
 */
public record RecordChanged(List<String> resources) {}
