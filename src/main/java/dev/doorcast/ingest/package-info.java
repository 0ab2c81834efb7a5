@NullMarked
package dev.doorcast.ingest;

import org.jspecify.annotations.NullMarked;
