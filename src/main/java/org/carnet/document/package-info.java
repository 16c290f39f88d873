/**
 * The shared record's documents (DMP): their content in a content-addressed blob store, encrypted per patient; the
 * one intake every document passes (a {@link org.carnet.record.UnitRules} of the record's write path: content,
 * unique id, lifecycle, replacement); the holder's mask ({@link org.carnet.document.DocumentMasks}).
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Documents",
        allowedDependencies = {"record"})
@org.jspecify.annotations.NullMarked
package org.carnet.document;
