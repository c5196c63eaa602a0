-- Rollback of 06-device-sessions.
DROP TABLE IF EXISTS device_sessions;
