package io.aftercare.diagnostics.eval;

/**
 * When a device was last heard from and whether it is connected, as absence rules need it. Times
 * are epoch milliseconds; {@link #UNKNOWN} marks "never".
 */
public final class DeviceActivity {
  public static final long UNKNOWN = Long.MIN_VALUE;

  private long lastActivity = UNKNOWN;
  private Boolean online;
  private long connectivityChangedAt = UNKNOWN;

  public void heardFrom(long at) {
    lastActivity = Math.max(lastActivity, at);
  }

  public void connectivity(boolean isOnline, long at) {
    if (online == null || online != isOnline) {
      connectivityChangedAt = at;
    }
    online = isOnline;
    if (isOnline) {
      heardFrom(at);
    }
  }

  public long lastActivity() {
    return lastActivity;
  }

  public boolean isOnline() {
    return Boolean.TRUE.equals(online);
  }

  /**
   * How long the device has been off-line at {@code now}: since the disconnect when one was seen,
   * otherwise since it was last heard from (a device that vanished without a clean disconnect).
   */
  public long offlineMillis(long now) {
    if (isOnline() || lastActivity == UNKNOWN) {
      return 0;
    }
    long since = Boolean.FALSE.equals(online) ? connectivityChangedAt : lastActivity;
    return now - since;
  }
}
