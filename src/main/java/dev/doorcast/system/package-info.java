@NullMarked
package dev.doorcast.system;

import org.jspecify.annotations.NullMarked;
