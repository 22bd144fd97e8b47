"""The four Ochotnicy services; none imports another."""
