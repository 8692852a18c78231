public enum MotionSimulatorModule {}
