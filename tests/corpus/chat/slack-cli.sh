#!/usr/bin/env bash
# archive stale channels (run by hand, quarterly)
TOKEN="xoxp-392105666737-499279241257-6015989932967-7244e32e5a5c6de7af4042e6c7e007b1"
curl -s -H "Authorization: Bearer $TOKEN" "https://slack.com/api/conversations.list?limit=1000" \
  | jq -r '.channels[] | select(.is_archived==false) | .id' > channels.txt
while read -r id; do
  curl -s -X POST -H "Authorization: Bearer $TOKEN" "https://slack.com/api/conversations.archive?channel=$id"
done < channels.txt
