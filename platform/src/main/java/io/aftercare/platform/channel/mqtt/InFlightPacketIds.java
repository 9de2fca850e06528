package io.aftercare.platform.channel.mqtt;

import java.util.Arrays;

/**
 * The packet identifiers of a client's unfinished QoS 1 and 2 publishes: at most the Receive
 * Maximum of them (64 by default) plus the one that exceeds it, so a plain array searched from the
 * end beats a hash set of boxed integers, which cost two objects per publish on every connection.
 */
final class InFlightPacketIds {

  private final int[] ids;
  private int size;

  /** Holds up to {@code receiveMaximum + 1} identifiers: enough to see the limit exceeded. */
  InFlightPacketIds(int receiveMaximum) {
    this.ids = new int[receiveMaximum + 1];
  }

  /** Adds {@code id}; false when it is already in flight or there is no room for it. */
  boolean add(int id) {
    if (indexOf(id) >= 0 || size == ids.length) {
      return false;
    }
    ids[size++] = id;
    return true;
  }

  /** Removes {@code id} if it is in flight. */
  void remove(int id) {
    int index = indexOf(id);
    if (index >= 0) {
      // Order does not matter: the last one fills the gap.
      ids[index] = ids[--size];
    }
  }

  int size() {
    return size;
  }

  private int indexOf(int id) {
    // Acknowledgements mostly come in publish order, but the newest are the likeliest duplicates.
    for (int i = size - 1; i >= 0; i--) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return Arrays.toString(Arrays.copyOf(ids, size));
  }
}
