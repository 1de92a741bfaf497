"""Rule loading, the compiled matcher and candidate confirmation."""
