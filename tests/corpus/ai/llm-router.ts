import OpenAI from 'openai';

export const providers = {
  openrouter: new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey: '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' }),
  xai: new OpenAI({ baseURL: 'https://api.x.ai/v1', apiKey: 'xai-kHL63mqashOI7OUlTNGymZkC72nuhcJpKK87U3sYSdLTvYLYasAWDMhTpiUlOxCICTGN9ApwoW7HiwCt' }),
  perplexity: new OpenAI({ baseURL: 'https://api.perplexity.ai', apiKey: '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' }),
  deepseek: new OpenAI({ baseURL: 'https://api.deepseek.com', apiKey: 'sk-43366f0876745072ecef2d90a412dde4' }),
};

export const modelMap: Record<string, string> = {
  fast: 'openrouter/auto',
  reasoning: 'grok-4',
  search: 'sonar-pro',
};
