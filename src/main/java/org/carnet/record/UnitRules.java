package org.carnet.record;

import java.util.List;

/**
 * A module's rules over whole write units, for rules that a single resource cannot decide alone (the document
 * lifecycle: a document and its content, a replacement and the document it supersedes, a second arrival of the same
 * document). {@link RecordWrites} passes every unit that {@link #concerns} a rule through it, so no caller can write
 * around it; rules over one resource at a time are {@link ResourceRules}.
 *
 * <p>Contract: runs inside the unit's transaction; must call {@code store} at most once, with the changes to store
 * (it may drop, rewrite or add changes), and return one {@link Written} per change it was given, in order.
 */
public interface UnitRules {

    /** Whether this unit holds anything these rules act on (they are not called otherwise). */
    boolean concerns(List<Change> changes);

    /** Applies the unit under these rules, storing through {@code store}. */
    Applied apply(List<Change> changes, WriteScope scope, Store store);

    /** The rest of the write path: the store itself (or the next rules). */
    @FunctionalInterface
    interface Store {
        List<Written> apply(List<Change> changes);
    }
}
