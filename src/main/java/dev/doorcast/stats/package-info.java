@NullMarked
package dev.doorcast.stats;

import org.jspecify.annotations.NullMarked;
