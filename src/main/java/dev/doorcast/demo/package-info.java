@NullMarked
package dev.doorcast.demo;

import org.jspecify.annotations.NullMarked;
