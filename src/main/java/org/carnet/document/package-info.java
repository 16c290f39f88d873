/**
 * The shared record's documents (DMP): their content in a content-addressed blob store, encrypted per patient; the
 * metadata, lifecycle and connectors build on it (issue 6).
 */
package org.carnet.document;
