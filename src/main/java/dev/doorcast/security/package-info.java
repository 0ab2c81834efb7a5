@NullMarked
package dev.doorcast.security;

import org.jspecify.annotations.NullMarked;
